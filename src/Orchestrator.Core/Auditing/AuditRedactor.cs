using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Auditing;

/// <summary>
/// Replaces secrets in audit details with <c>"[REDACTED]"</c>: values under keys that name a secret (any depth) and
/// the parameters the plugin catalog marks <see cref="PluginParameterDescriptor.Sensitive"/>. Values without a secret
/// are returned as they are, without a copy.
/// </summary>
internal sealed class AuditRedactor
{
    public const string Redacted = "[REDACTED]";

    // Keys are compared lower-cased with '_', '-', '.' and ' ' removed. "token" and "sessionid" match by suffix so
    // access_token and id_token are secrets while input_tokens and max_tokens (counts) are not; the other names match
    // anywhere in the key, so plurals and prefixed forms (cookies, api_keys, proxy_authorization_header) are secrets too.
    private static readonly string[] SecretSuffixes = ["token", "sessionid"];
    private static readonly string[] SecretFragments = ["password", "passwd", "passphrase", "secret", "credential", "apikey", "authorization", "cookie", "privatekey"];

    private readonly HashSet<string> _extraKeys;
    private readonly IPluginCatalog? _catalog;

    public AuditRedactor(IEnumerable<string> extraKeys, IPluginCatalog? catalog)
    {
        _extraKeys = new HashSet<string>(extraKeys.Select(Normalize), StringComparer.Ordinal);
        _catalog = catalog;
    }

    /// <summary>Whether a value under <paramref name="key"/> is a secret by its name alone.</summary>
    public bool IsSecretKey(string key)
    {
        var normalized = Normalize(key);
        if (_extraKeys.Contains(normalized))
        {
            return true;
        }

        foreach (var suffix in SecretSuffixes)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var fragment in SecretFragments)
        {
            if (normalized.Contains(fragment, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A plugin call's parameters with the catalog's sensitive parameters and secret keys redacted.</summary>
    public JsonElement RedactParameters(JsonElement parameters, string plugin, string action)
    {
        HashSet<string>? sensitive = null;
        if (_catalog is not null && _catalog.TryGetPlugin(plugin, out var descriptor) && descriptor.TryGetAction(action, out var actionDescriptor))
        {
            foreach (var parameter in actionDescriptor.Parameters)
            {
                if (parameter.Sensitive)
                {
                    (sensitive ??= new HashSet<string>(StringComparer.Ordinal)).Add(parameter.Name);
                }
            }
        }

        return Redact(parameters, sensitive);
    }

    /// <summary><paramref name="value"/> with secret keys redacted at any depth.</summary>
    public JsonElement Redact(JsonElement value) => Redact(value, null);

    private JsonElement Redact(JsonElement value, HashSet<string>? topLevelSensitive)
    {
        if (!NeedsRedaction(value, topLevelSensitive))
        {
            return value;
        }

        return JsonValues.Write(static (writer, state) => state.self.WriteRedacted(writer, state.value, state.topLevelSensitive), (self: this, value, topLevelSensitive));
    }

    private bool NeedsRedaction(JsonElement value, HashSet<string>? topLevelSensitive)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                // Most often a run's inputs: none (the empty object), counted without an enumerator.
                if (value.GetPropertyCount() == 0)
                {
                    return false;
                }

                foreach (var property in value.EnumerateObject())
                {
                    if (topLevelSensitive?.Contains(property.Name) == true || IsSecretKey(property.Name) || NeedsRedaction(property.Value, null))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (NeedsRedaction(item, null))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private void WriteRedacted(Utf8JsonWriter writer, JsonElement value, HashSet<string>? topLevelSensitive)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (topLevelSensitive?.Contains(property.Name) == true || IsSecretKey(property.Name))
                    {
                        writer.WriteStringValue(Redacted);
                    }
                    else
                    {
                        WriteRedacted(writer, property.Value, null);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteRedacted(writer, item, null);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static string Normalize(string key)
    {
        Span<char> buffer = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        var length = 0;
        foreach (var c in key)
        {
            if (c is not ('_' or '-' or '.' or ' '))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }
}
