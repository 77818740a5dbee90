namespace Gatehouse.Cli.Commands;

/// <summary>The starter manifest: the required fields, and commented examples of scopes and needs.</summary>
internal static class ManifestTemplate
{
    public const string SchemaUrl = "https://gatehouse.dev/schema/gatehouse.v1.json";

    public static string Render(string app, IReadOnlyList<string> owners, string? description)
    {
        var descriptionLine = string.IsNullOrWhiteSpace(description) ? "" : $"description: {Quote(description)}\n";
        return $"""
            # yaml-language-server: $schema={SchemaUrl}
            # What this app offers other apps, and what it needs from them. Reference: docs/manifest.md
            apiVersion: gatehouse/v1
            app: {app}
            {descriptionLine}owners: [{string.Join(", ", owners)}]

            # Scopes other apps can ask for, for example:
            #   - name: invoices.read
            #     description: Read invoices
            #     approval: owner          # owner (default) | two-owners | auto
            scopes: []

            # Scopes of other apps this app needs, for example:
            #   - app: customers
            #     scopes: [profile.read]
            #     reason: Print the customer's name on each invoice
            #     environments: [staging, production]   # default: every environment
            needs: []

            """;
    }

    // Single quotes keep any text literal; a quote inside is doubled, line breaks become spaces.
    private static string Quote(string text) =>
        "'" + text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal).Trim() + "'";
}
