namespace Gatehouse.Server.Notifications;

/// <summary>Codes of the notification API and its configuration (GH6020–GH6039), listed in docs/errors.md.</summary>
internal static class NotificationErrors
{
    public const string AdminOnly = "GH6020";
    public const string DeadLetterNotFound = "GH6021";
    public const string InvalidSetting = "GH6022";
    public const string InvalidLimit = "GH6023";
}
