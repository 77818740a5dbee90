using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Manifests;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Docs;

/// <summary>The docs cannot drift from the code: every code is documented, every example validates.</summary>
public sealed class DocsTests
{
    private static string RepositoryFile(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gatehouse.slnx")))
            {
                return File.ReadAllText(Path.Combine(directory.FullName, relative));
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    private static List<string> Codes() =>
        typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    [Fact]
    public void Every_code_is_unique_and_documented_under_its_anchor_in_errors_md()
    {
        var codes = Codes();
        var errors = RepositoryFile("docs/errors.md");

        Assert.Equal(codes.Count, codes.Distinct().Count());
        foreach (var code in codes)
        {
            Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors);
        }

        // GH4xxx and GH5xxx belong to the server; Gatehouse.Server.Tests holds them to account.
        // GH6000-GH6019 are the organisation file's notification targets (Core); GH602x the server's.
        var documented = Regex.Matches(errors, "### (GH[0-3][0-9]{3}|GH60[01][0-9]):").Select(m => m.Groups[1].Value);
        Assert.Equal(codes.Order(), documented.Order());
    }

    [Fact]
    public void The_examples_in_manifest_md_validate()
    {
        var blocks = Regex.Matches(RepositoryFile("docs/manifest.md"), "```yaml\n(.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .ToList();

        Assert.Equal(3, blocks.Count);
        var organisation = ManifestReader.ReadOrganisation("gatehouse.org.yaml", Bytes(blocks[1]));
        Assert.Empty(organisation.Diagnostics);

        // The third is the `ciIssuers` section of the organisation file.
        var withCi = ManifestReader.ReadOrganisation("gatehouse.org.yaml", Bytes(blocks[1] + blocks[2]));
        Assert.Empty(withCi.Diagnostics);
        Assert.Equal(2, withCi.Value!.CiIssuers.Count);
        var manifest = ManifestReader.ReadManifest("gatehouse.yaml", Bytes(blocks[0]), organisation.Value);
        Assert.Empty(manifest.Diagnostics);
    }
}
