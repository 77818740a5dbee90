using System.Security.Cryptography;

namespace Gatehouse.Bench.Serving;

/// <summary>
/// The environment of a benchmarked server: a fresh data folder, a random bootstrap token, and
/// PostgreSQL when a connection string is given. Inherited GATEHOUSE_* variables are cleared so a
/// developer's own settings never leak into the run.
/// </summary>
internal sealed record ServerSettings(string Engine, string DataDirectory, string? PostgresConnectionString)
{
    public string BootstrapToken { get; } = "ghb_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>One per run: a restarted server must decrypt the signing keys it stored.</summary>
    public string KeyEncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void ApplyTo(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(k => k.StartsWith("GATEHOUSE_", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(name);
        }

        environment["GATEHOUSE_DATA"] = DataDirectory;
        environment["GATEHOUSE_BOOTSTRAP_TOKEN"] = BootstrapToken;

        // The load comes from one address and one token, far past the production limits (ADR 0013).
        environment["GATEHOUSE_RATE_LIMITS"] = "off";
        if (PostgresConnectionString is not null)
        {
            environment["GATEHOUSE_DATABASE"] = PostgresConnectionString;

            // PostgreSQL deployments must share a key-encryption key (SQLite generates one).
            environment["GATEHOUSE_KEY_ENCRYPTION_KEY"] = KeyEncryptionKey;
        }
    }
}
