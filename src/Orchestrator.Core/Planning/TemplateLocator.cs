using System.Globalization;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Planning;

/// <summary>Finds where in a template a reference is, for a diagnostic's JSON path (only on the error path).</summary>
internal static class TemplateLocator
{
    public static string Find(TemplateValue? value, ReferencePath? reference)
    {
        if (value is null || reference is null)
        {
            return string.Empty;
        }

        return TryFind(value, reference, out var path) ? path : string.Empty;
    }

    private static bool TryFind(TemplateValue value, ReferencePath reference, out string path)
    {
        switch (value)
        {
            case ReferenceValue single when single.Path == reference:
                path = string.Empty;
                return true;
            case TextTemplate text when text.Parts.Any(p => p.Reference == reference):
                path = string.Empty;
                return true;
            case ObjectTemplate obj:
                foreach (var property in obj.Properties)
                {
                    if (TryFind(property.Value, reference, out var inner))
                    {
                        path = "." + property.Name + inner;
                        return true;
                    }
                }

                break;
            case ArrayTemplate array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    if (TryFind(array.Items[i], reference, out var inner))
                    {
                        path = "[" + i.ToString(CultureInfo.InvariantCulture) + "]" + inner;
                        return true;
                    }
                }

                break;
        }

        path = string.Empty;
        return false;
    }
}
