using System.Xml.Linq;
using Gatehouse.Server.OAuth.Keys;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Gatehouse.Server.KeyProtection;

/// <summary>
/// Unwraps what <see cref="KekXmlEncryptor"/> wrapped, with the current or a previous KEK. Data
/// Protection creates it by the type name stored in the key's XML, through this constructor.
/// </summary>
internal sealed class KekXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => KekXmlEncryptor.Unwrap(encryptedElement, services.GetRequiredService<KeyEncryption>());
}
