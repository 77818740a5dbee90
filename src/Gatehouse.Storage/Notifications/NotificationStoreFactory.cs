using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Notifications;

/// <summary>Gives the notification outbox that lives in the same database as a Gatehouse store.</summary>
public static class NotificationStoreFactory
{
    public static INotificationStore For(IGatehouseStore store, TimeProvider time) => store is RelationalStore relational
        ? new RelationalNotificationStore(relational.Engine, time)
        : throw new ArgumentException("The notification store needs a store made by GatehouseStoreFactory.", nameof(store));
}
