using System.Net;
using Gatehouse.Portal.Tests.Infrastructure;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Portal;
using Gatehouse.Server.Portal.SignIn;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.Portal.Tests.Oidc;

/// <summary>The GATEHOUSE_OIDC_* settings: checked at start, and the sign-in page offers the provider only when set.</summary>
public class OidcConfigurationTests
{
    private static OidcSignInOptions Load(params (string Key, string Value)[] settings) =>
        OidcSignInOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Without_an_authority_company_sign_in_is_off()
    {
        Assert.False(Load().Enabled);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Assert.Throws<ConfigurationProblemException>(() => Load(
            ("GATEHOUSE_OIDC_AUTHORITY", "http://login.example.com/"),
            ("GATEHOUSE_OIDC_USER_CLAIM", "name with spaces"),
            ("GATEHOUSE_OIDC_EMAIL_DOMAIN", "not a domain")));

        Assert.Contains("GATEHOUSE_OIDC_AUTHORITY must use https", e.Message);
        Assert.Contains("GATEHOUSE_OIDC_CLIENT_ID is required", e.Message);
        Assert.Contains("GATEHOUSE_OIDC_USER_CLAIM must be a claim name", e.Message);
        Assert.Contains("GATEHOUSE_OIDC_EMAIL_DOMAIN must be a domain name", e.Message);
    }

    [Fact]
    public void A_client_id_without_an_authority_is_refused()
    {
        var e = Assert.Throws<ConfigurationProblemException>(() => Load(("GATEHOUSE_OIDC_CLIENT_ID", "gatehouse")));

        Assert.Contains("need GATEHOUSE_OIDC_AUTHORITY", e.Message);
    }

    [Fact]
    public void The_client_secret_is_read_from_a_file_and_http_is_allowed_on_loopback_only()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cret-from-a-file\n");
            var options = Load(("GATEHOUSE_OIDC_AUTHORITY", "http://127.0.0.1:8080/realms/acme"), ("GATEHOUSE_OIDC_CLIENT_ID", "gatehouse"), ("GATEHOUSE_OIDC_CLIENT_SECRET_FILE", file), ("GATEHOUSE_OIDC_EMAIL_DOMAIN", "@Acme.Example"));

            Assert.Equal("s3cret-from-a-file", options.ClientSecret);
            Assert.Equal("acme.example", options.EmailDomain);
            Assert.Equal("preferred_username", options.UserClaim);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_server_with_a_bad_setting_does_not_start()
    {
        var e = await Assert.ThrowsAsync<ConfigurationProblemException>(() => PortalServer.StartAsync(false, "--GATEHOUSE_OIDC_AUTHORITY=ftp://login.example.com"));

        Assert.Contains("GATEHOUSE_OIDC_AUTHORITY", e.Message);
    }

    [Fact]
    public async Task Without_configuration_the_sign_in_page_offers_no_provider_and_its_handler_is_not_found()
    {
        await using var server = await PortalServer.StartAsync();
        using var client = server.Client();

        var page = await client.GetAsync("/signin");
        var start = await client.GetAsync("/signin?handler=oidc");

        Assert.DoesNotContain("handler=oidc", page.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, start.Status);
    }

    [Fact]
    public async Task The_refusal_page_shows_no_identity_from_a_crafted_link()
    {
        await using var server = await PortalServer.StartAsync();
        using var client = server.Client();

        var page = await client.GetAsync($"/signin/refused?code={PortalErrors.IdentityNotAUser}&who=the-ceo");

        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
        Assert.Contains(PortalErrors.IdentityProviderRefused, page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("the-ceo", page.Text, StringComparison.Ordinal);
    }
}
