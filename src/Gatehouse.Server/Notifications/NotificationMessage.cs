using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Storage.Notifications;

namespace Gatehouse.Server.Notifications;

/// <summary>
/// What a person reads about an event (a title, a line of detail, a link to the portal) and
/// what a machine reads (the CloudEvents 1.0 envelope). Texts quote people's words (reasons,
/// comments) as they are: each channel escapes them for its own markup.
/// </summary>
internal sealed record NotificationMessage(string Type, string Title, string? Detail, string Link, NotificationEvent Event)
{
    public const string TypePrefix = "dev.gatehouse.";

    public static NotificationMessage For(NotificationEvent e, string publicUrl)
    {
        var c = Parse(e.Context);
        string? Get(string name) => c?[name]?.GetValueKind() == JsonValueKind.String ? c[name]!.GetValue<string>()
            : c?[name]?.GetValueKind() == JsonValueKind.Number ? c[name]!.ToJsonString() : null;
        var access = $"{Get("consumer") ?? e.App} → {Get("provider") ?? e.ProviderApp}:{Get("scope")} in {Get("environment")}";
        var request = Get("request");
        var link = request is not null ? $"{publicUrl}/requests/{request}"
            : Get("provider") is { } provider ? $"{publicUrl}/apps/{Uri.EscapeDataString(provider)}"
            : e.App is { } app ? $"{publicUrl}/apps/{Uri.EscapeDataString(app)}"
            : publicUrl + "/";
        var (title, detail) = e.Type switch
        {
            "request.filed" => ($"Access requested: {access}", $"Request #{request} by {Get("requestedBy") ?? e.Actor}: {Get("reason") ?? e.Comment}"),
            "request.voted" => ($"Vote on request #{request}: {access}", $"{e.Actor} voted{(e.Comment is null ? "" : ": " + e.Comment)}"),
            "request.approved" => ($"Access approved: {access}", $"Request #{request} approved by {e.Actor}{(e.Comment is null ? "" : ": " + e.Comment)}"),
            "request.denied" => ($"Access denied: {access}", $"Request #{request} denied by {e.Actor}{(e.Comment is null ? "" : ": " + e.Comment)}"),
            "grant.revoked" => ($"Access revoked: {access}", $"Revoked by {e.Actor}{(e.Comment is null ? "" : ": " + e.Comment)}"),
            "scope.deprecated" => ($"Scope deprecated: {e.Subject}", e.Comment),
            "credential.expiring" => ("Credential about to expire", e.Comment),
            _ => (e.Type, e.Comment),
        };
        return new NotificationMessage(TypePrefix + e.Type, title, detail, link, e);
    }

    /// <summary>The CloudEvents 1.0 JSON envelope (structured mode) a generic webhook receives.</summary>
    public string CloudEvent(string source) => new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = Event.Id,
        ["source"] = source,
        ["type"] = Type,
        ["subject"] = Event.Subject,
        ["time"] = Event.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["datacontenttype"] = "application/json",
        ["data"] = new JsonObject
        {
            ["title"] = Title,
            ["detail"] = Detail,
            ["url"] = Link,
            ["actor"] = Event.Actor,
            ["app"] = Event.App,
            ["providerApp"] = Event.ProviderApp,
            ["comment"] = Event.Comment,
            ["sequence"] = Event.Seq,
            ["details"] = Parse(Event.Data),
            ["context"] = Parse(Event.Context),
        },
    }.ToJsonString();

    private static JsonObject? Parse(string? json) => json is null ? null : JsonNode.Parse(json) as JsonObject;
}
