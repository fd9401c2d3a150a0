/**
 * The confirmation every destructive write asks for: through MCP
 * elicitation when the client supports it, otherwise by requiring
 * `confirm: true` (which the model may only send after asking the user).
 *
 * @module
 */
import { z } from "../../zod.ts";
import { type ToolContext, ToolInputError } from "./define_tool.ts";

/** `confirm` argument of destructive tools. */
export const confirmInput: z.ZodOptional<z.ZodBoolean> = z.boolean()
  .optional().describe(
    "true once the user agreed",
  );

/**
 * Asks the user to confirm `action` through elicitation when the client
 * supports it; otherwise requires `confirm: true`. Throws when not
 * confirmed; nothing has been changed then.
 */
export async function requireConfirmation(
  ctx: ToolContext,
  action: string,
  confirm: boolean | undefined,
): Promise<void> {
  const answer = await ctx.confirm(`${action}?`);
  if (answer === true) return;
  if (answer === false) {
    throw new ToolInputError(
      `Cancelled: the user did not confirm. Nothing was changed`,
    );
  }
  if (confirm !== true) {
    throw new ToolInputError(
      `${action} cannot be undone: ask the user, then call again with confirm: true. Nothing was changed`,
    );
  }
}
