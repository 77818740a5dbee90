namespace Gatehouse.Storage.Tests.Infrastructure;

/// <summary>
/// Whether the PostgreSQL tests run here. Locally they are skipped without a server; in CI
/// (CI=true) they never are: a missing connection string fails them, loudly.
/// </summary>
public static class PostgresTestEnvironment
{
    public const string Variable = "GATEHOUSE_TEST_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run (a server is configured, or this is CI).</summary>
    public static string? SkipReason => ConnectionString is null && !InCi
        ? $"{Variable} is not set; run `eval \"$(bash .ci/postgres.sh)\"` to run the PostgreSQL tests"
        : null;

    public static string RequireConnectionString() => ConnectionString ?? throw new InvalidOperationException(
        $"{Variable} is not set but CI=true: the PostgreSQL tests must run in CI, never be skipped. " +
        $"Run `eval \"$(bash .ci/postgres.sh)\"` before `dotnet test`.");
}
