namespace Gatehouse.Server.Hosting;

/// <summary>
/// Server configuration, read from <c>GATEHOUSE_*</c> environment variables (secrets also from
/// <c>GATEHOUSE_*_FILE</c>) and validated before the server starts. See docs/operations.md.
/// </summary>
public sealed class GatehouseOptions
{
    /// <summary>Folder of the embedded SQLite database (<c>GATEHOUSE_DATA</c>).</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>PostgreSQL connection string (<c>GATEHOUSE_DATABASE</c>); when set, PostgreSQL is the store.</summary>
    public string? DatabaseConnectionString { get; set; }

    /// <summary>Admin token for the first steps (<c>GATEHOUSE_BOOTSTRAP_TOKEN</c>); never logged.</summary>
    public string? BootstrapToken { get; set; }

    /// <summary><c>text</c> (default) or <c>json</c> (<c>GATEHOUSE_LOG_FORMAT</c>).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Lifetime of personal and deploy tokens when a request names none (<c>GATEHOUSE_TOKEN_DAYS</c>).</summary>
    public int DefaultTokenDays { get; set; } = 90;

    /// <summary>
    /// The consistency of answers whose request names none (<c>GATEHOUSE_CONSISTENCY</c>, ADR 0033):
    /// <c>latest</c> (default) answers at the version this replica knows; <c>full</c> reads the
    /// database's version on every request.
    /// </summary>
    public string Consistency { get; set; } = "latest";

    /// <summary>Start with the example organisation and demo users loaded.</summary>
    public bool Demo { get; set; }

    internal static string DefaultDataDirectory()
    {
        var home = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(home, "gatehouse");
    }
}
