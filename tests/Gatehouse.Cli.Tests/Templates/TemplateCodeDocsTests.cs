using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.Core.Templates;

namespace Gatehouse.Cli.Tests.Templates;

/// <summary>Every template code is documented in docs/errors.md under its anchor, and nothing more.</summary>
public sealed class TemplateCodeDocsTests
{
    [Fact]
    public void Every_template_code_is_unique_and_documented_in_errors_md()
    {
        var codes = typeof(TemplateCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var errors = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs/errors.md"));

        Assert.Equal(codes.Count, codes.Distinct().Count());
        foreach (var code in codes)
        {
            Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors);
        }

        var documented = Regex.Matches(errors, "### (GH70[0-9]{2}):").Select(m => m.Groups[1].Value);
        Assert.Equal(codes.Order(), documented.Order());
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gatehouse.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
