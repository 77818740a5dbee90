using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.Server.Api;
using Gatehouse.Server.KeyProtection;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Storage;

namespace Gatehouse.Server.Tests.Api;

/// <summary>Every code the server can answer with links to an entry in docs/errors.md, and nothing stale is documented.</summary>
public sealed class ErrorCodeDocsTests
{
    private static IEnumerable<string> CodesOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(c => c.StartsWith("GH", StringComparison.Ordinal));

    [Fact]
    public void ServerCodes_AreUnique_AndEachIsDocumentedUnderItsAnchor()
    {
        var codes = CodesOf(typeof(ApiErrors)).Concat(CodesOf(typeof(StoreErrors))).Concat(CodesOf(typeof(KeyProtectionErrors)))
            .Concat(CodesOf(typeof(Gatehouse.Server.Identity.Ci.CiErrors))).Concat(CodesOf(typeof(Gatehouse.Server.Observability.ObservabilityOptions))).ToList();
        var errors = File.ReadAllText(RepositoryPaths.Combine("docs", "errors.md"));

        Assert.Equal(codes.Count, codes.Distinct().Count());
        foreach (var code in codes)
        {
            Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors);
        }

        var documented = Regex.Matches(errors, "### (GH[45][0-9]{3}):").Select(m => m.Groups[1].Value).Where(c => c.StartsWith("GH40", StringComparison.Ordinal) || c.StartsWith("GH41", StringComparison.Ordinal) || c.StartsWith("GH425", StringComparison.Ordinal) || c.StartsWith("GH427", StringComparison.Ordinal) || c.StartsWith("GH51", StringComparison.Ordinal));
        Assert.Equal(codes.Order(), documented.Order());
    }

    [Fact]
    public void ProblemType_LinksToTheCodesAnchor()
    {
        var problem = ApiProblems.Create(403, StoreErrors.DecisionForbidden, "no");

        Assert.Equal("https://gatehouse.dev/docs/errors#gh4121", problem.Type);
        Assert.Equal("GH4121", problem.Extensions["code"]);
    }
}
