using System.Net;
using static Gatehouse.OAuth.Tests.Infrastructure.TestOrganisation;

namespace Gatehouse.OAuth.Tests.Gateway;

/// <summary>The forward-auth contract (ADR 0027), spoken to directly as a proxy would: every answer and its reason.</summary>
public sealed class ForwardAuthTests : IAsyncLifetime
{
    private GatewayFixture _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFixture.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<HttpResponseMessage> AskAsync(string method, string uri, string? token, string? target = null, Action<HttpRequestMessage>? edit = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, target ?? _gateway.ForwardAuthUrl());
        request.Headers.TryAddWithoutValidation("X-Forwarded-Method", method);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", uri);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        edit?.Invoke(request);
        return await http.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {body}");
        Assert.Equal(code, Header(response, "X-Gatehouse-Error"));
        Assert.Contains($"\"code\":\"{code}\"", body, StringComparison.Ordinal);
        Assert.Empty(Header(response, "X-Gatehouse-App"));
    }

    [Fact]
    public async Task Granted_route_is_allowed_and_names_the_caller_and_its_scopes()
    {
        using var response = await AskAsync("GET", "/profiles/42?fields=name", _gateway.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("billing", Header(response, "X-Gatehouse-App"));
        Assert.Equal(_gateway.Billing.Id, Header(response, "X-Gatehouse-Client"));
        Assert.Equal("customers:profile.read", Header(response, "X-Gatehouse-Scope"));
        Assert.Equal("customers:profile.read customers:status.read", Header(response, "X-Gatehouse-Scopes"));
        Assert.Empty(await response.Content.ReadAsStringAsync());

        // Counted as an allowed decision, and timed under its route (ADR 0028).
        using var anonymous = _gateway.Server.Client(bearer: null);
        var metrics = await Gatehouse.Testing.PrometheusText.ScrapeAsync(anonymous);
        Assert.True(Gatehouse.Testing.PrometheusText.Value(metrics, "gatehouse_decisions_total", ("endpoint", "forward_auth"), ("outcome", "allowed")) >= 1, metrics);
        Assert.True(Gatehouse.Testing.PrometheusText.Has(metrics, "http_server_request_duration_seconds_count", ("http_route", "/forward-auth/{app}/{env}"), ("http_response_status_code", "200")), metrics);
    }

    [Fact]
    public async Task The_nginx_header_names_work_as_well()
    {
        using var response = await AskAsync("GET", "/status", _gateway.Token, edit: r =>
        {
            r.Headers.Remove("X-Forwarded-Method");
            r.Headers.Remove("X-Forwarded-Uri");
            r.Headers.TryAddWithoutValidation("X-Original-Method", "GET");
            r.Headers.TryAddWithoutValidation("X-Original-URI", "/status");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("customers:status.read", Header(response, "X-Gatehouse-Scope"));
    }

    [Fact]
    public async Task Envoy_style_path_after_the_target_is_the_original_request()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, _gateway.ForwardAuthUrl() + "/profiles/42");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _gateway.Token);
        using var put = await http.SendAsync(request);
        await AssertRefusedAsync(put, HttpStatusCode.Forbidden, "GH5025");

        using var get = new HttpRequestMessage(HttpMethod.Get, _gateway.ForwardAuthUrl() + "/profiles/42");
        get.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _gateway.Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(get)).StatusCode);
    }

    [Fact]
    public async Task No_token_is_401_with_a_bearer_challenge()
    {
        using var response = await AskAsync("GET", "/profiles/42", token: null);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "GH5020");
        Assert.Equal("Bearer realm=\"gatehouse\"", Header(response, "WWW-Authenticate"));
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJiaWxsaW5nIn0.")]
    public async Task A_token_that_does_not_verify_is_401_invalid_token(string token)
    {
        using var response = await AskAsync("GET", "/profiles/42", token);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "GH5021");
        Assert.Contains("error=\"invalid_token\"", Header(response, "WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_altered_after_signing_is_401_even_when_the_original_was_cached()
    {
        using var first = await AskAsync("GET", "/profiles/42", _gateway.Token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var parts = _gateway.Token.Split('.');
        var tampered = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? 'B' : 'A') + parts[2][1..];

        using var response = await AskAsync("GET", "/profiles/42", tampered);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "GH5021");
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        // The same app in another environment is another audience: urn:gatehouse:production:customers.
        using var response = await AskAsync("GET", "/profiles/42", _gateway.Token, _gateway.ForwardAuthUrl("customers", Production));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "GH5022");
        Assert.Contains("another audience", Header(response, "WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_app_is_401()
    {
        using var response = await AskAsync("GET", "/profiles/42", _gateway.Token, _gateway.ForwardAuthUrl("billing", Development));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "GH5022");
    }

    [Fact]
    public async Task A_route_whose_scope_the_token_lacks_is_403_insufficient_scope()
    {
        using var response = await AskAsync("PUT", "/profiles/42", _gateway.Token);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "GH5025");
        Assert.Equal("Bearer realm=\"gatehouse\", error=\"insufficient_scope\", scope=\"customers:profile.write\"", Header(response, "WWW-Authenticate"));
    }

    [Theory]
    [InlineData("GET", "/admin")]
    [InlineData("DELETE", "/profiles/42")]
    [InlineData("GET", "/profiles/42/extra")]
    [InlineData("get", "/status")]
    public async Task A_request_no_route_matches_is_403(string method, string uri)
    {
        using var response = await AskAsync(method, uri, _gateway.Token);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "GH5024");
    }

    [Theory]
    [InlineData("/status/../profiles/1")]
    [InlineData("/profiles/%2e%2e/admin")]
    [InlineData("//status")]
    [InlineData("/profiles/a%2Fb")]
    public async Task A_path_a_proxy_and_an_upstream_could_read_differently_is_403(string uri)
    {
        using var response = await AskAsync("GET", uri, _gateway.Token);

        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "GH5028");
    }

    [Theory]
    [InlineData("nobody", Development)]
    [InlineData("customers", "qa")]
    public async Task An_unknown_app_or_environment_is_404(string app, string environment)
    {
        using var response = await AskAsync("GET", "/status", _gateway.Token, _gateway.ForwardAuthUrl(app, environment));

        await AssertRefusedAsync(response, HttpStatusCode.NotFound, "GH5023");
    }

    [Theory]
    [InlineData("/FORWARD-AUTH/customers/development")]
    [InlineData("/Forward-Auth/customers/development/status")]
    public async Task The_prefix_matches_in_any_letter_case_as_a_mapped_branch_did(string path)
    {
        var target = $"{_gateway.Server.Issuer}{path}";
        var envoy = path.EndsWith("/status", StringComparison.Ordinal);
        using var response = await AskAsync("GET", "/status", _gateway.Token, target, edit: envoy ? r => r.Headers.Remove("X-Forwarded-Uri") : null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("customers:status.read", Header(response, "X-Gatehouse-Scope"));
    }

    [Theory]
    [InlineData("/forward-auth", "")]
    [InlineData("/forward-auth/", "/")]
    [InlineData("/forward-auth/customers/development", "/customers/development")]
    [InlineData("/Forward-AUTH/a/b/c", "/a/b/c")]
    [InlineData("/forward-authx/customers/development", null)]
    [InlineData("/forward", null)]
    [InlineData("/api/v1/check", null)]
    public void The_target_is_what_follows_the_prefix_as_a_whole_segment(string path, string? target)
    {
        Assert.Equal(target is not null, Gatehouse.Server.Gateway.ForwardAuthEndpoint.IsTarget(path));
        if (target is not null)
        {
            var request = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request;
            request.Path = path;
            Assert.Equal(target, Gatehouse.Server.Gateway.ForwardAuthEndpoint.Target(request).ToString());
        }
    }

    [Fact]
    public async Task A_prefix_that_is_not_a_whole_segment_is_not_forward_auth()
    {
        using var response = await AskAsync("GET", "/status", _gateway.Token, $"{_gateway.Server.Issuer}/forward-authx/customers/development");

        // Whatever else answers it (the portal), forward-auth does not: no caller named, no refusal code.
        Assert.Empty(Header(response, "X-Gatehouse-App"));
        Assert.Empty(Header(response, "X-Gatehouse-Error"));
    }

    [Fact]
    public async Task Missing_or_conflicting_forwarded_headers_are_400()
    {
        using var missing = await AskAsync("GET", "/status", _gateway.Token, edit: r => r.Headers.Remove("X-Forwarded-Uri"));
        await AssertRefusedAsync(missing, HttpStatusCode.BadRequest, "GH5029");

        using var conflicting = await AskAsync("GET", "/status", _gateway.Token, edit: r => r.Headers.TryAddWithoutValidation("X-Original-URI", "/admin"));
        await AssertRefusedAsync(conflicting, HttpStatusCode.BadRequest, "GH5029");

        using var repeated = await AskAsync("GET", "/status", _gateway.Token, edit: r => r.Headers.TryAddWithoutValidation("X-Forwarded-Uri", "/admin"));
        await AssertRefusedAsync(repeated, HttpStatusCode.BadRequest, "GH5029");
    }

    [Fact]
    public async Task A_revoked_grant_is_refused_with_a_token_issued_before_it()
    {
        await _gateway.RevokeGrantAsync("profile.read");

        using var response = await AskAsync("GET", "/profiles/42", _gateway.Token);
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, "GH5027");

        // The rest of the token still works, and the header no longer names what was revoked.
        using var status = await AskAsync("GET", "/status", _gateway.Token);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("customers:status.read", Header(status, "X-Gatehouse-Scopes"));
    }

    [Fact]
    public async Task A_revoked_client_is_401()
    {
        await _gateway.RevokeClientAsync();

        using var response = await AskAsync("GET", "/status", _gateway.Token);

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "GH5026");
    }

    [Fact]
    public async Task A_revocation_reaches_forward_auth_by_itself_within_the_refresh_interval()
    {
        using var before = await AskAsync("GET", "/profiles/42", _gateway.Token);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var grant = await ActiveGrantAsync(_gateway.Server.Store, "billing", "customers", "profile.read", Development);
        Assert.True((await RevokeAsync(_gateway.Server.Store, grant.Id)).Succeeded);

        // No explicit refresh: the snapshot checks the change version once a second (bounded wait, not a timing assertion).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            using var response = await AskAsync("GET", "/profiles/42", _gateway.Token);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Forward_auth_needs_no_gatehouse_token_and_ignores_the_host_header()
    {
        using var response = await AskAsync("GET", "/status", _gateway.Token, edit: r => r.Headers.Host = "gatehouse.internal:8080");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
