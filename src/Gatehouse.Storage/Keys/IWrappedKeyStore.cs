namespace Gatehouse.Storage.Keys;

/// <summary>
/// Key material the server keeps in its database under the key-encryption key: the Data
/// Protection key ring (portal cookies, anti-forgery), and the re-wrapping of every wrapped
/// column when the KEK is rotated. The store never sees a KEK or a clear key.
/// </summary>
public interface IWrappedKeyStore
{
    /// <summary>Every element of the Data Protection key ring, in the order they were stored.</summary>
    Task<IReadOnlyList<string>> ListDataProtectionElementsAsync(CancellationToken ct = default);

    /// <summary>Stores an element of the key ring; false when one of that name is already stored.</summary>
    Task<bool> AddDataProtectionElementAsync(string name, string xml, string? kekId, DateTimeOffset createdAt, CancellationToken ct = default);

    /// <summary>How many rows of <paramref name="column"/> are wrapped under each KEK id.</summary>
    Task<IReadOnlyDictionary<string, long>> CountByKekAsync(WrappedKeyColumn column, CancellationToken ct = default);

    /// <summary>
    /// Re-wraps, in one transaction under the store's write lock, every row of
    /// <paramref name="columns"/> not yet wrapped under <paramref name="targetKekId"/>:
    /// <paramref name="rewrap"/> gives each row's new value. Every new value is computed before
    /// anything is written, so an exception from <paramref name="rewrap"/> leaves the database as
    /// it was. Returns how many rows of each table were re-wrapped.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> RewrapAsync(IReadOnlyList<WrappedKeyColumn> columns, string targetKekId, Func<WrappedKeyColumn, WrappedKeyRow, string> rewrap, CancellationToken ct = default);
}
