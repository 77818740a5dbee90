using Gatehouse.Core.Diagnostics;

namespace Gatehouse.Core.Manifests;

/// <summary>What reading one file produced: the value when it is valid, and every finding either way.</summary>
/// <param name="Value">The validated value; null when <see cref="HasErrors"/>.</param>
/// <param name="Diagnostics">All findings, errors and warnings, in file order.</param>
public sealed record ReadResult<T>(T? Value, IReadOnlyList<Diagnostic> Diagnostics)
    where T : class
{
    public bool HasErrors
    {
        get
        {
            foreach (var diagnostic in Diagnostics)
            {
                if (diagnostic.Severity == Severity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
