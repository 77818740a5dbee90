using Gatehouse.Cli;

namespace Gatehouse.Cli.Tests;

/// <summary>The outcome of one in-process run of a full command line.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

internal static class CliRunner
{
    public static CliResult Run(string workingDirectory, params string[] args) => Execute(workingDirectory, input: null, args);

    /// <summary>Runs as if typed in a terminal, answering prompts with <paramref name="input"/>.</summary>
    public static CliResult RunInTerminal(string workingDirectory, string input, params string[] args) => Execute(workingDirectory, input, args);

    // Without input, stdin counts as redirected, as in CI.
    private static CliResult Execute(string workingDirectory, string? input, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, new StringReader(input ?? ""), IsInteractive: input is not null, workingDirectory);
        var exitCode = GatehouseCommandLine.Run(args, context);
        return new CliResult(exitCode, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }
}

/// <summary>A temporary folder with an organisation file and two apps, one needing the other.</summary>
internal sealed class Workspace : IDisposable
{
    public const string Organisation = """
        apiVersion: gatehouse/v1
        organisation: acme
        admins: [alice]
        environments:
          - name: staging
          - name: production
            approval: owner
        teams:
          - name: payments
            members: [alice]
          - name: crm
            members: [carol]
        """;

    public const string Billing = """
        apiVersion: gatehouse/v1
        app: billing
        owners: [team:payments]
        needs:
          - app: customers
            scopes: [profile.read]
            reason: Print names on invoices
            environments: [production]
        """;

    public const string Customers = """
        apiVersion: gatehouse/v1
        app: customers
        owners: [team:crm]
        scopes:
          - name: profile.read
            description: Read a customer's name and address
        """;

    public Workspace(bool withApps = true)
    {
        Directory.CreateDirectory(Path);
        Write("gatehouse.org.yaml", Organisation);
        if (withApps)
        {
            Write("services/billing/gatehouse.yaml", Billing);
            Write("services/customers/gatehouse.yaml", Customers);
        }
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gatehouse-cli-" + Guid.NewGuid().ToString("N"));

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Read(string relative) => File.ReadAllText(System.IO.Path.Combine(Path, relative));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
