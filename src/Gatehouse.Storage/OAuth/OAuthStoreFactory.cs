using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.OAuth;

/// <summary>Gives the OAuth store that lives in the same database as a Gatehouse store.</summary>
public static class OAuthStoreFactory
{
    /// <summary>The OAuth side of <paramref name="store"/> (created by <see cref="GatehouseStoreFactory"/>); its tables come with <see cref="IGatehouseStore.MigrateAsync"/>.</summary>
    public static IOAuthStore For(IGatehouseStore store, TimeProvider time) => store is RelationalStore relational
        ? new RelationalOAuthStore(relational.Engine, time)
        : throw new ArgumentException("The OAuth store needs a store made by GatehouseStoreFactory.", nameof(store));
}
