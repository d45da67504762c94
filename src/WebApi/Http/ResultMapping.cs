using AuthPlatform.Application.Common.Results;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Http;

/// <summary>Result → HTTP, for controllers: success through <paramref name="onSuccess"/>, failure as a problem.</summary>
public static class ResultMapping
{
    public static IActionResult ToActionResult<T>(this ControllerBase controller, Result<T> result, Func<T, IActionResult> onSuccess)
    {
        if (result.IsSuccess)
        {
            return onSuccess(result.Value);
        }

        return new ProblemResult(result.Error!);
    }

    public static IActionResult ToActionResult<T>(this ControllerBase controller, Result<T> result) =>
        controller.ToActionResult(result, value => controller.Ok(value));

    public static IActionResult ToNoContent(this ControllerBase controller, Result result) =>
        result.IsSuccess ? controller.NoContent() : new ProblemResult(result.Error!);
}

/// <summary>Writes an error as <c>application/problem+json</c>, whatever the action's <c>[Produces]</c> says.</summary>
public sealed class ProblemResult(Error error) : IActionResult
{
    public Error Error { get; } = error;

    public Task ExecuteResultAsync(ActionContext context) => Problems.WriteAsync(context.HttpContext, Error);
}
