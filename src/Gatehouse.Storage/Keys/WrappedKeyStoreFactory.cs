using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Keys;

/// <summary>Gives the wrapped-key store that lives in the same database as a Gatehouse store.</summary>
public static class WrappedKeyStoreFactory
{
    /// <summary>The key side of <paramref name="store"/> (created by <see cref="GatehouseStoreFactory"/>); its table comes with <see cref="IGatehouseStore.MigrateAsync"/>.</summary>
    public static IWrappedKeyStore For(IGatehouseStore store) => store is RelationalStore relational
        ? new RelationalWrappedKeyStore(relational.Engine)
        : throw new ArgumentException("The wrapped-key store needs a store made by GatehouseStoreFactory.", nameof(store));
}
