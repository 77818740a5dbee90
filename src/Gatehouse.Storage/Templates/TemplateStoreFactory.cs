using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Templates;

/// <summary>Gives the template store that lives in the same database as a Gatehouse store.</summary>
public static class TemplateStoreFactory
{
    /// <summary>The template side of <paramref name="store"/> (made by <see cref="GatehouseStoreFactory"/>); its tables come with <see cref="IGatehouseStore.MigrateAsync"/>.</summary>
    public static ITemplateStore For(IGatehouseStore store, TimeProvider time) => store is RelationalStore relational
        ? new RelationalTemplateStore(relational.Engine, time)
        : throw new ArgumentException("The template store needs a store made by GatehouseStoreFactory.", nameof(store));
}
