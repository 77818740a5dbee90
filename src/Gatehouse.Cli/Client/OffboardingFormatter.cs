using System.Text;
using System.Text.Json.Nodes;

namespace Gatehouse.Cli.Client;

/// <summary>
/// What an organisation push did about people it no longer lists (the response's <c>offboarding</c>,
/// ADR 0011): who went, which personal tokens were revoked, and which deploy tokens and OAuth
/// clients they created are still live, with the commands an admin runs to revoke them.
/// </summary>
internal static class OffboardingFormatter
{
    public static string Format(JsonNode? offboarding, bool markdown)
    {
        if (offboarding is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        var bullet = markdown ? "- " : "  ";
        var removed = Names(offboarding["removedUsers"]);
        if (removed.Count > 0)
        {
            text.Append($"Removed from the organisation: {string.Join(", ", removed)}\n");
        }

        var revoked = Items(offboarding["revokedTokens"]);
        if (revoked.Count > 0)
        {
            text.Append($"Revoked their personal tokens: {string.Join(", ", revoked.Select(t => $"{Code(t["id"], markdown)} ({t["subject"]?["name"]})"))}\n");
        }

        var deploy = Items(offboarding["deployTokens"]);
        var clients = Items(offboarding["clients"]);
        if (deploy.Count + clients.Count > 0)
        {
            text.Append("Still live, created by people no longer in the organisation (revoke or replace them: `gatehouse token revoke ID`, `gatehouse client revoke ID`):\n");
            if (markdown)
            {
                text.Append('\n');
            }

            foreach (var t in deploy)
            {
                text.Append($"{bullet}deploy token {Code(t["id"], markdown)} of {t["subject"]?["name"]}, created by {t["createdBy"]}, expires {t["expiresAt"]}\n");
            }

            foreach (var c in clients)
            {
                text.Append($"{bullet}OAuth client {Code(c["id"], markdown)} of {c["app"]} in {c["environment"]}, created by {c["createdBy"]}\n");
            }
        }

        return text.Length == 0 ? string.Empty : text.Append(markdown ? "\n" : string.Empty).ToString();
    }

    private static List<JsonNode> Items(JsonNode? array) => array is JsonArray a ? [.. a.OfType<JsonNode>()] : [];

    private static List<string> Names(JsonNode? array) => [.. Items(array).Select(n => n.ToString())];

    private static string Code(JsonNode? value, bool markdown) => markdown ? $"`{value}`" : value?.ToString() ?? string.Empty;
}
