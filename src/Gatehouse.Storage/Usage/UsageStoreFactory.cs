using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Usage;

/// <summary>Gives the usage store that lives in the same database as a Gatehouse store.</summary>
public static class UsageStoreFactory
{
    /// <summary>The usage side of <paramref name="store"/> (created by <see cref="GatehouseStoreFactory"/>); its columns come with <see cref="IGatehouseStore.MigrateAsync"/>.</summary>
    public static IUsageStore For(IGatehouseStore store) => store is RelationalStore relational
        ? new RelationalUsageStore(relational.Engine)
        : throw new ArgumentException("The usage store needs a store made by GatehouseStoreFactory.", nameof(store));
}
