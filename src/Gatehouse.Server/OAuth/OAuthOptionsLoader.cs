using System.Globalization;
using Gatehouse.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// Reads <see cref="OAuthOptions"/> from configuration keys named like the environment variables
/// (environment, or <c>--GATEHOUSE_OAUTH_...=</c> arguments); reports every problem at once.
/// </summary>
public static class OAuthOptionsLoader
{
    public const string KeyEncryptionKeyVariable = "GATEHOUSE_KEY_ENCRYPTION_KEY";
    public const string PreviousKeyEncryptionKeysVariable = "GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS";

    public static OAuthOptions Load(IConfiguration config)
    {
        var problems = new List<string>();
        var options = new OAuthOptions();

        if (Get(config, "GATEHOUSE_OAUTH_ISSUER") is { } issuer)
        {
            if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                problems.Add($"GATEHOUSE_OAUTH_ISSUER must be an http(s) URL without query or fragment, such as https://gatehouse.example.com, not `{issuer}`.");
            }

            options.Issuer = issuer.TrimEnd('/');
        }

        if (Number(config, "GATEHOUSE_OAUTH_TOKEN_SECONDS", 30, 3600, problems) is { } seconds)
        {
            options.AccessTokenLifetime = TimeSpan.FromSeconds(seconds);
        }

        if (Get(config, "GATEHOUSE_OAUTH_SIGNING_ALG") is { } alg)
        {
            if (alg is not (OAuthOptions.ES256 or OAuthOptions.RS256))
            {
                problems.Add($"GATEHOUSE_OAUTH_SIGNING_ALG must be ES256 or RS256, not `{alg}`.");
            }

            options.SigningAlgorithm = alg;
        }

        if (Number(config, "GATEHOUSE_OAUTH_KEY_ROTATION_DAYS", 1, 365, problems) is { } days)
        {
            options.KeyRotation = TimeSpan.FromDays(days);
        }

        if (Number(config, "GATEHOUSE_OAUTH_KEY_PUBLISH_HOURS", 0, 24 * 30, problems) is { } hours)
        {
            options.KeyPublishLead = TimeSpan.FromHours(hours);
        }

        if (options.KeyPublishLead >= options.KeyRotation)
        {
            problems.Add("GATEHOUSE_OAUTH_KEY_PUBLISH_HOURS must be shorter than GATEHOUSE_OAUTH_KEY_ROTATION_DAYS: a key is published, then signs for the rest of its period.");
        }

        options.KeyEncryptionKey = KeyEncryptionKey(config, problems);
        options.PreviousKeyEncryptionKeys = PreviousKeyEncryptionKeys(config, problems);
        if (options.KeyEncryptionKey is { } current && options.PreviousKeyEncryptionKeys.Any(k => k.AsSpan().SequenceEqual(current)))
        {
            problems.Add($"{PreviousKeyEncryptionKeysVariable} lists the current {KeyEncryptionKeyVariable}: list only the keys you are rotating away from.");
        }
        if (problems.Count > 0)
        {
            throw new ConfigurationProblemException("invalid configuration:\n  - " + string.Join("\n  - ", problems));
        }

        return options;
    }

    private static byte[]? KeyEncryptionKey(IConfiguration config, List<string> problems)
    {
        if (SecretText(config, KeyEncryptionKeyVariable, problems) is not { } text)
        {
            return null;
        }

        var key = Key(text);
        if (key is null)
        {
            // The value itself is a secret: never echo it.
            problems.Add($"{KeyEncryptionKeyVariable} must be 32 random bytes in base64 (make one with `openssl rand -base64 32`).");
        }

        return key;
    }

    private static List<byte[]> PreviousKeyEncryptionKeys(IConfiguration config, List<string> problems)
    {
        if (SecretText(config, PreviousKeyEncryptionKeysVariable, problems) is not { } text)
        {
            return [];
        }

        var keys = new List<byte[]>();
        var entries = text.Split([',', '\n', '\r', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            if (Key(entries[i]) is { } key)
            {
                keys.Add(key);
            }
            else
            {
                problems.Add($"{PreviousKeyEncryptionKeysVariable}: entry {i + 1} of {entries.Length} must be 32 random bytes in base64.");
            }
        }

        return keys;
    }

    /// <summary>The value of NAME or the content of the file NAME_FILE names (never both); null when neither is set.</summary>
    private static string? SecretText(IConfiguration config, string name, List<string> problems)
    {
        var direct = Get(config, name);
        var file = Get(config, name + "_FILE");
        if (direct is not null && file is not null)
        {
            problems.Add($"set either {name} or {name}_FILE, not both.");
            return null;
        }

        if (file is null)
        {
            return direct;
        }

        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{name}_FILE names `{file}`, which cannot be read: {e.Message}");
            return null;
        }
    }

    private static byte[]? Key(string text)
    {
        var bytes = new byte[64];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var length) && length == 32 ? bytes[..32] : null;
    }

    private static int? Number(IConfiguration config, string name, int min, int max, List<string> problems)
    {
        if (Get(config, name) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add($"{name} must be a whole number from {min} to {max}, not `{text}`.");
            return null;
        }

        return value;
    }

    private static string? Get(IConfiguration config, string name) => config[name] is { Length: > 0 } value ? value : null;
}
