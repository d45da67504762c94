using System.Text.Json.Serialization;
using AuthPlatform.Application.Auth.VerifyCredential;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// Source-generated JSON for the hot path (<c>GET /verify</c>): the same shape as
/// <see cref="JsonDefaults"/> (snake_case, nulls left out, instants as ISO-8601 UTC) without
/// reflection-based serialization on every request.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(JsonDefaults.UtcInstantConverter)])]
[JsonSerializable(typeof(VerifyResponse))]
public sealed partial class HotPathJson : JsonSerializerContext;
