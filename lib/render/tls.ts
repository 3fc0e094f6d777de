/**
 * TLS 1.2 cipher suites every kprod component accepts (apiserver, kubelet, etcd — Go names):
 * forward secrecy and AEAD only, the CIS "strong cryptographic ciphers". TLS 1.3 suites are not
 * configurable in Go and are always on.
 */
export const STRONG_TLS_CIPHER_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
] as const;
