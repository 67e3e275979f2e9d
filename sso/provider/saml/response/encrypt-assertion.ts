import { encrypt } from 'xml-encryption';
import { NS } from '../saml-constants.js';
import { certificatePem } from '../xml/xml-text.js';

/**
 * Core §2.3.4 EncryptedAssertion: the (already signed) assertion encrypted for the SP's certificate — AES-256-GCM
 * content, RSA-OAEP key transport (XML Encryption 1.1; CBC and RSA 1.5 are refused by xml-encryption here).
 */
export function encryptAssertion(assertionXml: string, spCertificate: string): Promise<string> {
  const pem = certificatePem(spCertificate);
  return new Promise((resolve, reject) => {
    encrypt(
      assertionXml,
      {
        rsa_pub: pem,
        pem,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: true,
      },
      (error, encrypted) => {
        if (error) reject(error);
        else
          resolve(
            `<saml:EncryptedAssertion xmlns:saml="${NS.assertion}">${encrypted}</saml:EncryptedAssertion>`,
          );
      },
    );
  });
}
