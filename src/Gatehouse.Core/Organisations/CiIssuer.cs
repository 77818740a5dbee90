using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Organisations;

/// <summary>
/// A CI system whose OpenID Connect tokens Gatehouse trusts (ADR 0021): tokens with this
/// <see cref="Issuer"/> and <see cref="Audience"/>, signed by a key from the issuer's JWKS (at
/// <see cref="JwksUri"/>, or found through the issuer's discovery document), act for the app of
/// the first rule their claims match.
/// </summary>
public sealed record CiIssuer(string Name, string Issuer, string Audience, string? JwksUri, IReadOnlyList<CiRule> Rules, SourceLocation Location);

/// <summary>
/// Claims a CI token must carry to act for <see cref="App"/>. A null condition is not checked;
/// a value ending in <c>*</c> matches every value that starts with what comes before it.
/// </summary>
/// <param name="Repository">GitHub's <c>repository</c> or GitLab's <c>project_path</c> (case-insensitive).</param>
/// <param name="Branch">The branch the run is on (GitHub <c>ref</c> <c>refs/heads/NAME</c>; GitLab <c>ref</c> with <c>ref_type: branch</c>).</param>
/// <param name="Ref">The full ref (<c>refs/heads/main</c>, <c>refs/tags/v1.2</c>).</param>
/// <param name="Environment">The CI system's deployment environment of the job (claim <c>environment</c>).</param>
public sealed record CiRule(string Name, string App, string Repository, string? Branch, string? Ref, string? Environment, SourceLocation Location);
