using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Gatehouse.Server.OAuth.Keys;
using Gatehouse.Storage.Keys;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Gatehouse.Server.KeyProtection;

/// <summary>
/// Wraps the secret part of each Data Protection key (its master key) under the key-encryption
/// key before the key ring stores it: the stored XML holds <c>&lt;kekWrappedSecret kekId="…"&gt;</c>
/// with AES-256-GCM output instead of the key, and the KEK's id for rotation.
/// </summary>
internal sealed class KekXmlEncryptor(KeyEncryption kek) : IXmlEncryptor
{
    public const string Purpose = "data-protection-key";

    /// <summary>The element that replaces the secret, and its attribute naming the KEK.</summary>
    public static readonly XName ElementName = "kekWrappedSecret";
    private static readonly XName KekIdAttribute = "kekId";

    /// <summary>The key ring's rows, as the rotation sees them.</summary>
    public static readonly WrappedKeyColumn Column = new("data_protection_keys", "name", "kek_id", "xml");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(Wrap(plaintextElement, kek), typeof(KekXmlDecryptor));

    /// <summary>The id of the KEK a stored element's secret is wrapped under; null for an element without one (a revocation).</summary>
    public static string? KekIdOf(XElement element) => element.DescendantsAndSelf(ElementName).Select(e => (string?)e.Attribute(KekIdAttribute)).FirstOrDefault();

    public static XElement Unwrap(XElement wrapped, KeyEncryption kek)
    {
        var plaintext = kek.Unwrap(Purpose, "", (string?)wrapped.Attribute(KekIdAttribute) ?? "", wrapped.Value);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Re-wraps every secret of one stored element of the key ring under the current KEK.</summary>
    public static string Rewrap(WrappedKeyRow row, KeyEncryption kek)
    {
        var root = XElement.Parse(row.Wrapped);
        var secrets = root.DescendantsAndSelf(ElementName).ToList();
        if (secrets.Count == 0)
        {
            throw new StoredKeyException(KeyProtectionErrors.DoesNotDecrypt, $"the data protection key {row.Id} names key-encryption key {row.KekId} but holds no wrapped secret: the stored value was changed. Restore it from a backup.");
        }

        foreach (var secret in secrets)
        {
            secret.ReplaceWith(Wrap(Unwrap(secret, kek), kek));
        }

        return root.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement Wrap(XElement plaintextElement, KeyEncryption kek)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            return new XElement(ElementName, new XAttribute(KekIdAttribute, kek.KekId), kek.Wrap(Purpose, "", plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
