using System.Text.Json.Nodes;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Extensions;

/// <summary>
/// The error-code mechanism for extensions: <c>services.AddErrorCode(code, status)</c> gives a new
/// code its status in the one problem writer; a code registered nowhere answers 500
/// <c>internal_error</c> and leaks neither its code nor its message.
/// </summary>
public sealed class ErrorCodeTests
{
    private static async Task<(int Status, JsonObject Problem)> WriteAsync(Error error, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<ExtensionErrorStatuses>();
        register?.Invoke(services);
        var http = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        http.Response.Body = new MemoryStream();

        await Problems.WriteAsync(http, error);

        http.Response.Body.Position = 0;
        var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
        return (http.Response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    [Theory]
    [InlineData("address_not_allowed", 403, "Forbidden")]
    [InlineData("acme_contract_expired", 402, "Payment Required")]
    [InlineData("acme_policy_refused", 422, "Unprocessable Entity")]
    public async Task WriteAsync_RegisteredCode_AnswersItsStatusCodeAndMessage(string code, int status, string title)
    {
        var (answered, problem) = await WriteAsync(new Error(code, "Refused by Acme."), s => s.AddErrorCode(code, status));

        Assert.Equal(status, answered);
        Assert.Equal(status, (int?)problem["status"]);
        Assert.Equal(title, (string?)problem["title"]);
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal("Refused by Acme.", (string?)problem["detail"]);
    }

    [Fact]
    public async Task WriteAsync_UnregisteredCode_Answers500InternalErrorWithoutDetails()
    {
        var (answered, problem) = await WriteAsync(new Error("acme_ldap_down", "LDAP bind failed for cn=svc,password=hunter2"));

        Assert.Equal(500, answered);
        Assert.Equal("internal_error", (string?)problem["code"]);
        Assert.Equal("An unexpected error occurred.", (string?)problem["detail"]);
        Assert.DoesNotContain("hunter2", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("acme_ldap_down", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_BuiltInCode_KeepsItsStatus()
    {
        var (answered, problem) = await WriteAsync(new Error(ErrorCodes.AccountLocked, "Locked."));

        Assert.Equal(423, answered);
        Assert.Equal("account_locked", (string?)problem["code"]);
    }

    [Theory]
    [InlineData("account_locked", 403)]
    [InlineData("internal_error", 503)]
    [InlineData("Address-Not-Allowed", 403)]
    [InlineData("a", 403)]
    [InlineData("address_not_allowed", 200)]
    [InlineData("address_not_allowed", 500)]
    [InlineData("address_not_allowed", 600)]
    public void AddErrorCode_BuiltInOrMalformedCodeOrStatus_Throws(string code, int status)
    {
        var services = new ServiceCollection();

        Assert.ThrowsAny<ArgumentException>(() => services.AddErrorCode(code, status));
        Assert.Empty(services);
    }

    [Fact]
    public void AddErrorCode_SameCodeTwice_KeepsOneAndRefusesAnotherStatus()
    {
        var services = new ServiceCollection().AddErrorCode("address_not_allowed", 403).AddErrorCode("address_not_allowed", 403);

        Assert.Single(services);
        var conflict = Assert.Throws<InvalidOperationException>(() => services.AddErrorCode("address_not_allowed", 401));
        Assert.Contains("address_not_allowed", conflict.Message, StringComparison.Ordinal);
    }
}
