using System.Text.Json.Serialization;

namespace Oriel.Gateway.Storage;

/// <summary>Source-generated JSON for the stored target settings documents (see <see cref="TargetSettingsJson"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(VncSettingsDocument))]
[JsonSerializable(typeof(SshSettingsDocument))]
[JsonSerializable(typeof(SettingsVersionDocument))]
internal sealed partial class TargetSettingsJsonContext : JsonSerializerContext;
