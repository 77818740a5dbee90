using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Validation;

/// <summary>The codes the shared shape checks report, per kind of file (GH1xxx manifest, GH3xxx organisation).</summary>
internal sealed record FileKind(
    string UnknownKey,
    string WrongType,
    string MissingKey,
    string EmptyList,
    string DuplicateItem,
    string TextTooLong)
{
    public static readonly FileKind Manifest = new(
        DiagnosticCodes.ManifestUnknownKey,
        DiagnosticCodes.ManifestWrongType,
        DiagnosticCodes.ManifestMissingKey,
        DiagnosticCodes.ManifestEmptyList,
        DiagnosticCodes.ManifestDuplicateItem,
        DiagnosticCodes.ManifestTextTooLong);

    public static readonly FileKind Organisation = new(
        DiagnosticCodes.OrganisationUnknownKey,
        DiagnosticCodes.OrganisationWrongType,
        DiagnosticCodes.OrganisationMissingKey,
        DiagnosticCodes.OrganisationEmptyList,
        DiagnosticCodes.OrganisationDuplicateItem,
        DiagnosticCodes.OrganisationTextTooLong);
}
