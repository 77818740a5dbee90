using System.Text;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Core.Tests;

/// <summary>Small helpers shared by the tests: YAML text as bytes, reading, asserting a finding.</summary>
internal static class TestFiles
{
    public const string ValidManifest = """
        apiVersion: gatehouse/v1
        app: billing
        description: Invoices and payments
        owners: [team:payments, user:alice]
        scopes:
          - name: invoices.read
            description: Read invoices
          - name: invoices.write
            description: Create and change invoices
            approval: two-owners
          - name: invoices.export
            description: Export invoices as CSV
            deprecated: Use invoices.read instead
          - name: invoices.legacy
            description: The first invoice API
            deprecated:
              message: Replaced by invoices.read
              replacedBy: invoices.read
        needs:
          - app: customers
            scopes: [profile.read]
            reason: Print the customer's name on each invoice
            environments: [staging, production]
        """;

    public const string ValidOrganisation = """
        apiVersion: gatehouse/v1
        organisation: acme
        admins: [alice, bob]
        environments:
          - name: development
            description: Laptops and preview deployments
            approval: auto
          - name: staging
          - name: production
            approval: owner
        teams:
          - name: payments
            description: Payments squad
            members: [alice, carol]
          - name: crm
            members: [dave]
        """;

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static ReadResult<AppManifest> Manifest(string yaml, OrganisationFile? organisation = null) =>
        ManifestReader.ReadManifest("gatehouse.yaml", Bytes(yaml), organisation);

    public static ReadResult<OrganisationFile> Organisation(string yaml) =>
        ManifestReader.ReadOrganisation("gatehouse.org.yaml", Bytes(yaml));

    public static OrganisationFile Acme() => Organisation(ValidOrganisation).Value!;

    /// <summary>Asserts a finding with this code exists, at this position, whose message contains the fragment.</summary>
    public static Diagnostic AssertFinding(IReadOnlyList<Diagnostic> diagnostics, string code, string fragment, int line, int column)
    {
        var matches = diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(matches.Count > 0, $"expected {code}; got:\n{string.Join("\n", diagnostics)}");
        var match = matches.FirstOrDefault(d => d.Location.Line == line && d.Location.Column == column);
        Assert.True(match is not null, $"expected {code} at {line}:{column}; got:\n{string.Join("\n", matches)}");
        Assert.Contains(fragment, match!.Message, StringComparison.Ordinal);
        return match;
    }

    /// <summary>Asserts the diagnostics are exactly one error with this code and position.</summary>
    public static Diagnostic AssertOnly(IReadOnlyList<Diagnostic> diagnostics, string code, string fragment, int line, int column)
    {
        Assert.True(diagnostics.Count == 1, $"expected exactly one finding; got:\n{string.Join("\n", diagnostics)}");
        return AssertFinding(diagnostics, code, fragment, line, column);
    }
}

/// <summary>A temporary directory that removes itself.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gatehouse-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

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
