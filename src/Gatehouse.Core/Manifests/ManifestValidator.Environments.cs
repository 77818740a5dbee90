using Gatehouse.Core.Diagnostics;
using Gatehouse.Core.Naming;
using Gatehouse.Core.Validation;
using Gatehouse.Core.Yaml;

namespace Gatehouse.Core.Manifests;

internal sealed partial class ManifestValidator
{
    private List<TextItem>? Environments(YamlNode value)
    {
        var items = check.TextList(value, "environments", "[staging, production]", "environment");
        if (items is null)
        {
            return null;
        }

        var valid = true;
        foreach (var item in items)
        {
            if (!NameRules.IsEnvironmentName(item.Value))
            {
                valid = false;
                check.Error(DiagnosticCodes.InvalidNeedEnvironment, item.Node,
                    $"environment name '{item.Value}' is invalid: {NameHints.EnvironmentRule}{NameHints.Corrected(item.Value, NameRules.IsEnvironmentName)}");
            }
            else if (organisation is not null && !IsDefined(item.Value))
            {
                valid = false;
                var defined = organisation.Environments.Select(e => e.Name).ToList();
                check.Error(DiagnosticCodes.UndefinedEnvironment, item.Node,
                    $"environment '{item.Value}' is not defined by the organisation file (it defines: {string.Join(", ", defined)}){Suggestions.DidYouMean(item.Value, defined)}");
            }
        }

        return valid ? items : null;
    }

    private bool IsDefined(string environment)
    {
        foreach (var definition in organisation!.Environments)
        {
            if (definition.Name == environment)
            {
                return true;
            }
        }

        return false;
    }
}
