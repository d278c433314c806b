// The WebCrypto types `core/` names, for the type check without the DOM library (tsconfig.core.json):
// the same interfaces, from Node's declaration of WebCrypto.
type NodeWebCrypto = typeof import("node:crypto").webcrypto;
declare type CryptoKey = import("node:crypto").webcrypto.CryptoKey;
declare type CryptoKeyPair = import("node:crypto").webcrypto.CryptoKeyPair;
declare type KeyUsage = import("node:crypto").webcrypto.KeyUsage;
declare type SubtleCrypto = import("node:crypto").webcrypto.SubtleCrypto;
declare type EcKeyImportParams = import("node:crypto").webcrypto.EcKeyImportParams;
declare type EcKeyAlgorithm = import("node:crypto").webcrypto.EcKeyAlgorithm;
declare type AesKeyAlgorithm = import("node:crypto").webcrypto.AesKeyAlgorithm;
declare var crypto: NodeWebCrypto;
declare var CryptoKey: { prototype: CryptoKey; new (): never };
