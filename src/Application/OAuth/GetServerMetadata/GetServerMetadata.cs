using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.OAuth.GetServerMetadata;

/// <summary>
/// The authorization server's metadata (RFC 8414, and OpenID Connect Discovery 1.0): every URL is
/// absolute, built from <c>Jwt:Issuer</c>, which is also the <c>iss</c> of every token (start-up
/// checks that it is an absolute http or https URL without query or fragment).
/// </summary>
public sealed record GetServerMetadataQuery : IQuery<Result<ServerMetadataResponse>>;

public sealed record ServerMetadataResponse(
    string Issuer,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string JwksUri,
    string UserinfoEndpoint,
    string RevocationEndpoint,
    string IntrospectionEndpoint,
    string EndSessionEndpoint,
    IReadOnlyList<string> ScopesSupported,
    IReadOnlyList<string> ResponseTypesSupported,
    IReadOnlyList<string> ResponseModesSupported,
    IReadOnlyList<string> GrantTypesSupported,
    IReadOnlyList<string> CodeChallengeMethodsSupported,
    IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    IReadOnlyList<string> RevocationEndpointAuthMethodsSupported,
    IReadOnlyList<string> IntrospectionEndpointAuthMethodsSupported,
    IReadOnlyList<string> SubjectTypesSupported,
    IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    IReadOnlyList<string> ClaimsSupported,
    bool AuthorizationResponseIssParameterSupported,
    string DeviceAuthorizationEndpoint);

public sealed class GetServerMetadataHandler(IOptions<JwtOptions> jwt, IScopeCatalog catalog)
    : IQueryHandler<GetServerMetadataQuery, Result<ServerMetadataResponse>>
{
    public ValueTask<Result<ServerMetadataResponse>> Handle(GetServerMetadataQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Result<ServerMetadataResponse>.Success(Build()));

    private ServerMetadataResponse Build()
    {
        var issuer = jwt.Value.Issuer;
        var root = issuer.TrimEnd('/');
        string At(string path) => root + path;
        string[] clientAuth = [ClientAuthMethods.Basic, ClientAuthMethods.Post];
        return new ServerMetadataResponse(
            issuer,
            At("/oauth/authorize"),
            At("/oauth/token"),
            At("/.well-known/jwks.json"),
            At("/oauth/userinfo"),
            At("/oauth/revoke"),
            At("/oauth/introspect"),
            At("/oauth/end_session"),
            [.. OAuthIdentityScopes.All.Concat(Scopes.BuiltIn).Concat(catalog.OperatorScopes).Distinct(StringComparer.Ordinal)], // OpenID Connect Discovery 3: openid is supported, so listed
            ["code"],
            ["query"],
            GrantTypes.Served,
            ["S256"],
            [.. clientAuth, ClientAuthMethods.None],
            [.. clientAuth, ClientAuthMethods.None], // RFC 7009 5: a public client revokes its own tokens by client_id
            clientAuth, // introspection: confidential clients only
            ["public"],
            [jwt.Value.SigningAlgorithm],
            ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "email", "email_verified", "name"],
            true,
            At("/oauth/device_authorization"));
    }
}
