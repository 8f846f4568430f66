/** Associated data of an app's secret ciphertexts: binds each to its row (see SecretCipher). */
export function appSecretContext(appKey: string): string {
  return `partner_app:${appKey}:secret`;
}
