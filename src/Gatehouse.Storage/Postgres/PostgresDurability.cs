namespace Gatehouse.Storage.Postgres;

/// <summary>
/// Settings under which PostgreSQL may acknowledge a commit that a crash then loses. Gatehouse
/// refuses to start on them: a lost approval or audit event is worse than not starting.
/// </summary>
internal static class PostgresDurability
{
    public static IReadOnlyList<string> Problems(string synchronousCommit, string fsync)
    {
        var problems = new List<string>();
        if (synchronousCommit is "off" or "local")
        {
            problems.Add($"synchronous_commit is '{synchronousCommit}' (use 'on', 'remote_write' or 'remote_apply')");
        }

        if (fsync != "on")
        {
            problems.Add($"fsync is '{fsync}' (use 'on')");
        }

        return problems;
    }

    public static string Message(IReadOnlyList<string> problems) =>
        "PostgreSQL is misconfigured for Gatehouse: " + string.Join("; ", problems) +
        ". Committed approvals and audit events could be lost in a crash; fix the server or role settings " +
        "(postgresql.conf, ALTER ROLE ... SET, or the connection string's Options) and start again.";
}
