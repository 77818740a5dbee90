namespace Gatehouse.Server.OAuth;

/// <summary>
/// Token endpoint settings, from <c>GATEHOUSE_OAUTH_*</c> and <c>GATEHOUSE_KEY_ENCRYPTION_KEY</c>
/// (see docs/oauth.md). Validated by <see cref="OAuthOptionsLoader"/> before the server starts.
/// </summary>
public sealed class OAuthOptions
{
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";

    /// <summary>The <c>iss</c> of every token (<c>GATEHOUSE_OAUTH_ISSUER</c>); null = the server's public URL (never a request's Host).</summary>
    public string? Issuer { get; set; }

    /// <summary>Access token lifetime (<c>GATEHOUSE_OAUTH_TOKEN_SECONDS</c>, default 300).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>ES256 (default) or RS256 (<c>GATEHOUSE_OAUTH_SIGNING_ALG</c>).</summary>
    public string SigningAlgorithm { get; set; } = ES256;

    /// <summary>How long one signing key signs (<c>GATEHOUSE_OAUTH_KEY_ROTATION_DAYS</c>, default 30).</summary>
    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a new key is published before it signs (<c>GATEHOUSE_OAUTH_KEY_PUBLISH_HOURS</c>, default 24).</summary>
    public TimeSpan KeyPublishLead { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// 32-byte key that wraps signing keys and the Data Protection key ring at rest
    /// (<c>GATEHOUSE_KEY_ENCRYPTION_KEY</c> or <c>_FILE</c>, base64). Null: generated into the
    /// data folder (SQLite only).
    /// </summary>
    public byte[]? KeyEncryptionKey { get; set; }

    /// <summary>
    /// Earlier key-encryption keys, used only to unwrap what is still wrapped under them; the server
    /// re-wraps it under <see cref="KeyEncryptionKey"/> at start
    /// (<c>GATEHOUSE_PREVIOUS_KEY_ENCRYPTION_KEYS</c> or <c>_FILE</c>, base64, comma or line separated).
    /// </summary>
    public IReadOnlyList<byte[]> PreviousKeyEncryptionKeys { get; set; } = [];

    /// <summary>Clock skew tolerated on client assertions.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest lifetime accepted for a client assertion (exp - now).</summary>
    public TimeSpan MaxAssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
