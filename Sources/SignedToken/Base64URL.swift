import ExtrasBase64

/// Unpadded base64url (RFC 4648 §5), as itsdangerous writes it.
public enum Base64URL {
    private static let options: Base64.EncodingOptions = [.base64UrlAlphabet, .omitPaddingCharacter]

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64.encodeToString(bytes: bytes, options: options)
    }

    /// Decodes canonical unpadded base64url only: a string that does not re-encode to itself
    /// (padding, other alphabets, non-zero spare bits) is refused, so a token has one spelling.
    public static func decode(_ text: Substring) -> [UInt8]? {
        guard let bytes = try? Base64.decode(bytes: text.utf8, options: [.base64UrlAlphabet, .omitPaddingCharacter]),
              Base64.encodeToBytes(bytes: bytes, options: options).elementsEqual(text.utf8)
        else { return nil }
        return bytes
    }
}
