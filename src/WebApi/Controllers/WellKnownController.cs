using AuthPlatform.Application.Auth.GetJwks;
using AuthPlatform.Application.OAuth.GetServerMetadata;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>Published metadata: the JSON Web Key Set of the token-signing keys, and the authorization server's metadata (RFC 8414, OpenID Connect Discovery).</summary>
[ApiController]
[ApiTag("Discovery", "Published metadata: the JSON Web Key Set and the authorization server's metadata (RFC 8414, OpenID Connect Discovery).")]
[AllowAnonymous]
public sealed class WellKnownController(ISender sender) : ControllerBase
{
    [EndpointSummary("JSON Web Key Set")]
    [EndpointDescription("The public keys that sign access and ID tokens (RFC 7517), including the next and the retiring key. Cacheable for 5 minutes.")]
    [HttpGet("/.well-known/jwks.json", Name = "GetJwks")]
    [ProducesResponseType<JwksDocument>(StatusCodes.Status200OK, "application/json")]
    public async Task<ContentResult> Jwks(CancellationToken ct)
    {
        var jwks = await sender.Send(new GetJwksQuery(), ct);
        Response.Headers.CacheControl = "public, max-age=300";
        return Content(jwks.Value, "application/json");
    }

    [EndpointSummary("Authorization server metadata")]
    [EndpointDescription("RFC 8414 and OpenID Connect Discovery 1.0 (the same document at both addresses). Cacheable for 5 minutes.")]
    [HttpGet("/.well-known/oauth-authorization-server", Name = "GetAuthorizationServerMetadata")]
    [HttpGet("/.well-known/openid-configuration", Name = "GetOpenIdConfiguration")]
    [Produces("application/json")]
    [ProducesResponseType<ServerMetadataResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Metadata(CancellationToken ct)
    {
        Response.Headers.CacheControl = "public, max-age=300";
        return this.ToActionResult(await sender.Send(new GetServerMetadataQuery(), ct));
    }
}

/// <summary>For the OpenAPI document: a JWKS (RFC 7517).</summary>
public sealed record JwksDocument(IReadOnlyList<Dictionary<string, string>> Keys);
