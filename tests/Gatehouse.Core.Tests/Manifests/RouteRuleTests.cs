using Gatehouse.Core.Diagnostics;
using static Gatehouse.Core.Tests.TestFiles;

namespace Gatehouse.Core.Tests.Manifests;

/// <summary>The routes of a scope (ADR 0026): every refusal with its code, message and position, and what is kept.</summary>
public sealed class RouteRuleTests
{
    private const string Head = "apiVersion: gatehouse/v1\napp: billing\nowners: [user:alice]\nscopes:\n";

    private static string Scope(string name, string routes) => $"  - name: {name}\n    description: x\n    routes: {routes}\n";

    public static TheoryData<string, string, string, int, int> Refusals => new()
    {
        // GH1030 syntax, at the route itself
        { Scope("a", "[\"get /invoices\"]"), DiagnosticCodes.InvalidRoute, "route 'get /invoices' method 'get' must be written in upper case: 'GET'", 7, 14 },
        { Scope("a", "[\"FETCH /invoices\"]"), DiagnosticCodes.InvalidRoute, "method 'FETCH' is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS", 7, 14 },
        { Scope("a", "[\"/invoices\"]"), DiagnosticCodes.InvalidRoute, "must be a method and a path separated by one space", 7, 14 },
        { Scope("a", "[\"GET invoices\"]"), DiagnosticCodes.InvalidRoute, "path 'invoices' must start with '/'", 7, 14 },
        { Scope("a", "[\"GET /invoices/\"]"), DiagnosticCodes.InvalidRoute, "must not end with '/': write '/invoices'", 7, 14 },
        { Scope("a", "[\"GET /a//b\"]"), DiagnosticCodes.InvalidRoute, "has an empty segment", 7, 14 },
        { Scope("a", "[\"GET /a/../b\"]"), DiagnosticCodes.InvalidRoute, "segment '..' of '/a/../b' may hold only", 7, 14 },
        { Scope("a", "[\"GET /inv-{id}\"]"), DiagnosticCodes.InvalidRoute, "must be all literal or one whole parameter", 7, 14 },
        { Scope("a", "[\"GET /files/{*rest}/x\"]"), DiagnosticCodes.InvalidRoute, "must be the last segment", 7, 14 },
        { Scope("a", "[\"GET /a/{id}/b/{id}\"]"), DiagnosticCodes.InvalidRoute, "parameter '{id}' appears twice", 7, 14 },
        { Scope("a", "[\"GET /a?x=1\"]"), DiagnosticCodes.InvalidRoute, "must not contain a query", 7, 14 },
        { Scope("a", "[\"GET /a/{}\"]"), DiagnosticCodes.InvalidRoute, "must be all literal or one whole parameter", 7, 14 },
        { Scope("a", "[\"GET /a/{1x}\"]"), DiagnosticCodes.InvalidRoute, "needs a name of letters", 7, 14 },
        { Scope("a", "[]"), DiagnosticCodes.ManifestEmptyList, "routes is empty", 7, 13 },
        { Scope("a", "GET /x"), DiagnosticCodes.ManifestWrongType, "routes must be a list", 7, 13 },
        // GH1031: the same requests twice, whatever the parameter names, in one scope or two
        { Scope("a", "[\"GET /invoices/{id}\", \"GET /invoices/{number}\"]"), DiagnosticCodes.DuplicateRoute,
            "route 'GET /invoices/{number}' matches exactly the requests of 'GET /invoices/{id}' (line 7, scope 'a'), so it can never decide; keep one", 7, 36 },
        { Scope("a", "[\"GET /x\"]") + Scope("b", "[\"GET /x\"]"), DiagnosticCodes.DuplicateRoute, "(line 7, scope 'a')", 10, 14 },
        // GH1032: two scopes matching one request
        { Scope("a", "[\"GET /invoices/{id}\"]") + Scope("b", "[\"GET /invoices/summary\"]"), DiagnosticCodes.OverlappingRoutes,
            "route 'GET /invoices/summary' of scope 'b' and 'GET /invoices/{id}' (line 7, scope 'a') match the same requests (e.g. 'GET /invoices/summary')", 10, 14 },
        { Scope("a", "[\"GET /files/{*rest}\"]") + Scope("b", "[\"GET /files/{id}/meta\"]"), DiagnosticCodes.OverlappingRoutes, "match the same requests", 10, 14 },
        { Scope("a", "[\"GET /a/{x}/c\"]") + Scope("b", "[\"GET /a/b/{y}\"]"), DiagnosticCodes.OverlappingRoutes, "e.g. 'GET /a/b/c'", 10, 14 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refused_route_is_reported_with_code_message_and_position(string scopes, string code, string fragment, int line, int column)
    {
        var result = Manifest(Head + scopes);

        var finding = AssertFinding(result.Diagnostics, code, fragment, line, column);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Null(result.Value);
    }

    [Theory]
    [InlineData("[\"GET /invoices/{id}\"]", "[\"POST /invoices/{id}\"]")] // other method
    [InlineData("[\"GET /invoices\"]", "[\"GET /invoices/{id}\"]")] // other length
    [InlineData("[\"GET /files/{*rest}\"]", "[\"GET /files\"]")] // a catch-all takes at least one segment
    [InlineData("[\"GET /a/x/{id}\"]", "[\"GET /a/y/{id}\"]")]
    public void Routes_of_two_scopes_that_share_no_request_are_accepted(string first, string second)
    {
        var result = Manifest(Head + Scope("a", first) + Scope("b", second));

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Value);
    }

    [Fact]
    public void A_route_covered_by_a_broader_one_of_the_same_scope_is_a_warning_at_the_narrow_one()
    {
        var result = Manifest(Head + Scope("a", "[\"GET /invoices/summary\", \"GET /invoices/{id}\"]"));

        var finding = AssertOnly(result.Diagnostics, DiagnosticCodes.RedundantRoute,
            "route 'GET /invoices/summary' is already covered by 'GET /invoices/{id}' of the same scope 'a'", 7, 14);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.NotNull(result.Value);
    }

    [Fact]
    public void Routes_are_kept_in_the_model_with_their_positions()
    {
        var result = Manifest(Head + Scope("a", "[\"GET /invoices\", \"GET /invoices/{id}\"]") + "  - name: b\n    description: x\n");

        var scopes = result.Value!.Scopes;
        Assert.Equal(["GET /invoices", "GET /invoices/{id}"], scopes[0].Routes);
        Assert.Equal([(7, 14), (7, 31)], scopes[0].RouteLocations.Select(l => (l.Line, l.Column)));
        Assert.Empty(scopes[1].Routes);
    }
}
