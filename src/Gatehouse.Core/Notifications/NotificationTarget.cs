using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Notifications;

/// <summary>How a target is reached (docs/notifications.md).</summary>
public enum NotificationKind
{
    Webhook = 0,
    Slack = 1,
    Teams = 2,
    Email = 3,
}

/// <summary>When a target hears of an event: at once, in one message a day, or not at all.</summary>
public enum NotificationDigest
{
    Immediate = 0,
    Daily = 1,
    Muted = 2,
}

/// <summary>
/// One place a team or an environment is notified (the <c>notify</c> list in gatehouse.org.yaml).
/// Secrets are never in the file: <see cref="SecretEnv"/> and <see cref="UrlEnv"/> name the
/// environment variables the server reads them from when it delivers.
/// </summary>
/// <param name="Name">Unique within its team or environment; part of the target's id.</param>
/// <param name="Url">A generic webhook's URL.</param>
/// <param name="SecretEnv">A generic webhook's signing secret (<c>whsec_</c> base64), by variable name.</param>
/// <param name="UrlEnv">A Slack or Teams incoming webhook URL, by variable name (the URL is the secret).</param>
/// <param name="To">E-mail addresses.</param>
public sealed record NotificationTarget(
    string Name,
    NotificationKind Kind,
    string? Url,
    string? SecretEnv,
    string? UrlEnv,
    IReadOnlyList<string> To,
    NotificationDigest Digest,
    SourceLocation Location)
{
    /// <summary>The target's stable id: <c>team:NAME/TARGET</c> or <c>environment:NAME/TARGET</c>.</summary>
    public static string Id(string owner, string target) => $"{owner}/{target}";
}
