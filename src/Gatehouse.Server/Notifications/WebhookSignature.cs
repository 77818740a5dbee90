using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Server.Notifications;

/// <summary>
/// The Standard Webhooks signature (https://www.standardwebhooks.com/): <c>v1,</c> and the base64
/// HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the base64 bytes
/// after <c>whsec_</c> in the target's secret.
/// </summary>
internal static class WebhookSignature
{
    public const string Prefix = "whsec_";

    /// <summary>The key bytes of a <c>whsec_</c> secret, or null when it is not one.</summary>
    public static byte[]? Key(string secret)
    {
        var text = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        var key = new byte[text.Length];
        return Convert.TryFromBase64String(text, key, out var written) && written >= 16 ? key[..written] : null;
    }

    public static string Sign(byte[] key, string id, long timestamp, string body)
    {
        var payload = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, payload));
    }
}
