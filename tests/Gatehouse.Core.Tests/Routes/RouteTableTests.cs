using Gatehouse.Core.Routes;

namespace Gatehouse.Core.Tests.Routes;

/// <summary>The compiled matcher: which scope a request falls under, and which requests fall under none.</summary>
public sealed class RouteTableTests
{
    private static readonly RouteTable Table = new(new (string Route, string Scope)[]
    {
        ("GET /", "root"),
        ("GET /invoices", "read"),
        ("GET /invoices/{id}", "read"),
        ("GET /invoices/summary", "read"),
        ("POST /invoices/{id}/credit-notes", "write"),
        ("GET /files/{*path}", "files"),
        ("GET /files/{id}/meta", "files"),
    }.Select(r => new ScopedRoute(RouteTemplate.Parse(r.Route, out _)!, r.Scope)));

    [Theory]
    [InlineData("GET", "/", "root", "GET /")]
    [InlineData("GET", "/invoices", "read", "GET /invoices")]
    [InlineData("GET", "/invoices/42", "read", "GET /invoices/{id}")]
    [InlineData("GET", "/invoices/summary", "read", "GET /invoices/summary")]
    [InlineData("POST", "/invoices/42/credit-notes", "write", "POST /invoices/{id}/credit-notes")]
    [InlineData("GET", "/files/a", "files", "GET /files/{*path}")]
    [InlineData("GET", "/files/a/b/c", "files", "GET /files/{*path}")]
    [InlineData("GET", "/files/7/meta", "files", "GET /files/{id}/meta")]
    [InlineData("GET", "/invoices/caf%C3%A9", "read", "GET /invoices/{id}")]
    public void Request_matches_the_most_specific_route(string method, string path, string scope, string route)
    {
        var match = Table.Match(method, path);

        Assert.NotNull(match);
        Assert.Equal(scope, match.Scope);
        Assert.Equal(route, match.Template.ToString());
    }

    [Theory]
    [InlineData("POST", "/invoices")] // method not listed
    [InlineData("HEAD", "/invoices")] // HEAD is not implied by GET
    [InlineData("get", "/invoices")] // methods are case-sensitive (RFC 9110)
    [InlineData("GET", "/Invoices")] // so are literals
    [InlineData("GET", "/invoices/")] // trailing slash
    [InlineData("GET", "/files")] // a catch-all needs a segment
    [InlineData("GET", "/invoices/42/extra")]
    [InlineData("GET", "")]
    [InlineData("GET", "invoices")]
    [InlineData("GET", "//invoices")]
    [InlineData("GET", "/files/../admin")]
    [InlineData("GET", "/files/./a")]
    [InlineData("GET", "/files/%2e%2e/admin")]
    [InlineData("GET", "/files/a%2Fb")]
    [InlineData("GET", "/files/a%5cb")]
    [InlineData("GET", "/files/a\\b")]
    [InlineData("GET", "/invo%69ces")] // not decoded: a literal matches its exact spelling only
    public void Request_outside_every_route_or_not_in_normal_form_matches_nothing(string method, string path)
    {
        Assert.Null(Table.Match(method, path));
    }

    [Theory]
    [InlineData("GET /a/{x}", "GET /a/b", true)]
    [InlineData("GET /a/{*x}", "GET /a/b/c/{d}", true)]
    [InlineData("GET /a/{*x}", "GET /a", false)]
    [InlineData("GET /a/b", "GET /a/c", false)]
    [InlineData("GET /a/{x}", "POST /a/{x}", false)]
    [InlineData("GET /{*x}", "GET /", false)]
    public void Overlap_is_symmetric_and_exact(string a, string b, bool overlap)
    {
        var (x, y) = (RouteTemplate.Parse(a, out _)!, RouteTemplate.Parse(b, out _)!);

        Assert.Equal(overlap, RouteRelations.Overlap(x, y));
        Assert.Equal(overlap, RouteRelations.Overlap(y, x));
    }
}
