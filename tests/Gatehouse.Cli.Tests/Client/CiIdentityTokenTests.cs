using Gatehouse.Cli.Client;
using Gatehouse.Cli.Tests.Infrastructure;

namespace Gatehouse.Cli.Tests.Client;

/// <summary>Where the CLI finds a CI run's own token (ADR 0021): GitLab's variable, or a request to GitHub Actions' token service.</summary>
public sealed class CiIdentityTokenTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public async Task GitHubActions_IsAskedForATokenForTheServerUrl_WithItsRequestToken()
    {
        await using var actions = FlakyHttpServer.Start(new Reply.Answer(200, """{"count":1,"value":"eyJhbGciOiJSUzI1NiJ9.e30.sig"}"""));
        var environment = Environment(("ACTIONS_ID_TOKEN_REQUEST_URL", actions.Url + "token?api-version=2.0"), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-secret"));

        var (token, problem) = await CiIdentityToken.FromEnvironmentAsync(environment, "https://gatehouse.acme.example/");

        Assert.Null(problem);
        Assert.Equal("eyJhbGciOiJSUzI1NiJ9.e30.sig", token);
        var request = Assert.Single(actions.Requests);
        Assert.Equal("/token?api-version=2.0&audience=https%3A%2F%2Fgatehouse.acme.example", request.Target);
        Assert.Equal("Bearer request-secret", request.Header("Authorization"));
    }

    [Fact]
    public async Task TheConfiguredAudience_IsRequested_AndARefusalSaysWhatTheJobNeeds()
    {
        await using var actions = FlakyHttpServer.Start(new Reply.Answer(403, "{}"));
        var environment = Environment(("ACTIONS_ID_TOKEN_REQUEST_URL", actions.Url + "token"), ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "t"), ("GATEHOUSE_CI_AUDIENCE", "gatehouse"));

        var (token, problem) = await CiIdentityToken.FromEnvironmentAsync(environment, "https://gatehouse.acme.example");

        Assert.Null(token);
        Assert.Contains("id-token: write", problem, StringComparison.Ordinal);
        Assert.EndsWith("?audience=gatehouse", Assert.Single(actions.Requests).Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitLabsIdToken_IsTakenAsGiven_AndOutsideCiThereIsNone()
    {
        Assert.Equal(("eyJ.gitlab.token", (string?)null), await CiIdentityToken.FromEnvironmentAsync(Environment(("GATEHOUSE_ID_TOKEN", " eyJ.gitlab.token\n")), null));
        Assert.Equal(((string?)null, (string?)null), await CiIdentityToken.FromEnvironmentAsync(Environment(), "https://gatehouse.acme.example"));
    }
}
