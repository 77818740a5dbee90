using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Server.Notifications;

/// <summary>
/// The delivery worker's settings (<c>GATEHOUSE_NOTIFY_*</c>, <c>GATEHOUSE_SMTP_*</c>), read from
/// configuration and checked when the server is built. Target secrets are not here: they are
/// read, by the names the organisation file gives, when a delivery is made.
/// </summary>
internal sealed record NotificationOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>How often the worker looks for due deliveries when it found none.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts before a delivery becomes a dead letter.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The first retry's delay; each further one doubles, up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed delivery is held before another replica may take it over.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Tokens ending within this many days raise <c>credential.expiring</c>.</summary>
    public int ExpiryWarningDays { get; init; } = 14;

    public TimeSpan ExpiryCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The UTC hour daily digests are sent.</summary>
    public int DigestHour { get; init; } = 8;

    public SmtpSettings? Smtp { get; init; }

    internal sealed record SmtpSettings(string Host, int Port, string? User, string? Password, string From);

    public static NotificationOptions Load(IConfiguration config)
    {
        var problems = new List<string>();
        var options = new NotificationOptions
        {
            Enabled = config["GATEHOUSE_NOTIFY"] is not ("off" or "false" or "0"),
            PollInterval = TimeSpan.FromMilliseconds(Number(config, "GATEHOUSE_NOTIFY_POLL_MS", 1000, 10, 60_000, problems)),
            MaxAttempts = Number(config, "GATEHOUSE_NOTIFY_MAX_ATTEMPTS", 10, 1, 100, problems),
            RetryBaseDelay = TimeSpan.FromMilliseconds(Number(config, "GATEHOUSE_NOTIFY_RETRY_BASE_MS", 5000, 10, 3_600_000, problems)),
            MaxRetryDelay = TimeSpan.FromMilliseconds(Number(config, "GATEHOUSE_NOTIFY_RETRY_MAX_MS", 3_600_000, 10, 86_400_000, problems)),
            Lease = TimeSpan.FromMilliseconds(Number(config, "GATEHOUSE_NOTIFY_LEASE_MS", 60_000, 1000, 3_600_000, problems)),
            RequestTimeout = TimeSpan.FromMilliseconds(Number(config, "GATEHOUSE_NOTIFY_TIMEOUT_MS", 10_000, 100, 120_000, problems)),
            ExpiryWarningDays = Number(config, "GATEHOUSE_NOTIFY_EXPIRY_DAYS", 14, 1, 365, problems),
            ExpiryCheckInterval = TimeSpan.FromMilliseconds(Number(config, "GATEHOUSE_NOTIFY_EXPIRY_CHECK_MS", 3_600_000, 100, 86_400_000, problems)),
            DigestHour = Number(config, "GATEHOUSE_NOTIFY_DIGEST_HOUR", 8, 0, 23, problems),
            Smtp = ReadSmtp(config, problems),
        };
        if (options.Lease <= options.RequestTimeout)
        {
            problems.Add("GATEHOUSE_NOTIFY_LEASE_MS must be longer than GATEHOUSE_NOTIFY_TIMEOUT_MS, or a slow delivery could be taken over and sent twice.");
        }

        return problems.Count == 0
            ? options
            : throw new InvalidOperationException($"{NotificationErrors.InvalidSetting}: " + string.Join(" ", problems));
    }

    private static int Number(IConfiguration config, string name, int fallback, int min, int max, List<string> problems)
    {
        var text = config[name];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add($"{name} is `{text}`; expected a whole number from {min} to {max}.");
        return fallback;
    }

    private static SmtpSettings? ReadSmtp(IConfiguration config, List<string> problems)
    {
        var host = config["GATEHOUSE_SMTP_HOST"];
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        var port = Number(config, "GATEHOUSE_SMTP_PORT", 587, 1, 65535, problems);
        var from = config["GATEHOUSE_SMTP_FROM"];
        if (string.IsNullOrEmpty(from) || !from.Contains('@', StringComparison.Ordinal))
        {
            problems.Add("GATEHOUSE_SMTP_FROM must be the sender's address (e.g. gatehouse@acme.example) when GATEHOUSE_SMTP_HOST is set.");
        }

        var password = config["GATEHOUSE_SMTP_PASSWORD"];
        if (config["GATEHOUSE_SMTP_PASSWORD_FILE"] is { Length: > 0 } file)
        {
            if (!string.IsNullOrEmpty(password))
            {
                problems.Add("set either GATEHOUSE_SMTP_PASSWORD or GATEHOUSE_SMTP_PASSWORD_FILE, not both.");
            }

            try
            {
                password = File.ReadAllText(file).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"GATEHOUSE_SMTP_PASSWORD_FILE names `{file}`, which cannot be read: {e.Message}");
            }
        }

        return new SmtpSettings(host, port, NullIfEmpty(config["GATEHOUSE_SMTP_USER"]), NullIfEmpty(password), from ?? "");
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
