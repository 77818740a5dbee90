namespace Gatehouse.Core.Secrets;

/// <summary>What a Gatehouse secret is, told by its prefix (docs/secrets.md).</summary>
public enum SecretKind
{
    /// <summary><c>gthp_</c>: a person's API token.</summary>
    PersonalToken,

    /// <summary><c>gthd_</c>: an app's deploy token, for its CI.</summary>
    DeployToken,

    /// <summary><c>gthc_</c>: an OAuth client secret.</summary>
    ClientSecret,

    /// <summary><c>gthb_</c>: a bootstrap token Gatehouse generated (<c>serve --demo</c>).</summary>
    BootstrapToken,
}
