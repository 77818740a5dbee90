using System.Xml.Linq;
using Gatehouse.Storage.Keys;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Gatehouse.Server.KeyProtection;

/// <summary>
/// The Data Protection key ring in the Gatehouse database, so every replica reads the keys any
/// other one made and the ring outlives restarts. Data Protection reads it when it builds its
/// key ring (at start, then about once a day, or when it meets an unknown key) and writes when
/// it makes a key: rarely enough that its synchronous interface may wait on the database.
/// </summary>
internal sealed class DatabaseXmlRepository(IWrappedKeyStore store, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.ListDataProtectionElementsAsync().GetAwaiter().GetResult().Select(xml => XElement.Parse(xml))];

    public void StoreElement(XElement element, string friendlyName)
    {
        var xml = element.ToString(SaveOptions.DisableFormatting);
        var kekId = KekXmlEncryptor.KekIdOf(element);
        var name = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        if (!store.AddDataProtectionElementAsync(name, xml, kekId, time.GetUtcNow()).GetAwaiter().GetResult())
        {
            // Names are key ids, unique in practice; never lose an element over a clash.
            store.AddDataProtectionElementAsync(name + "-" + Guid.NewGuid().ToString("N"), xml, kekId, time.GetUtcNow()).GetAwaiter().GetResult();
        }
    }
}
