import type { ButtonHTMLAttributes } from "react";
import { cn } from "./cn";

const variants = {
  primary: "bg-sky-600 text-white hover:bg-sky-700 disabled:bg-sky-900",
  secondary: "border border-zinc-700 bg-zinc-900 text-zinc-200 hover:border-zinc-500 hover:text-white",
  ghost: "text-zinc-300 hover:bg-zinc-800 hover:text-white",
  danger: "bg-red-700 text-white hover:bg-red-600",
} as const;

const sizes = { sm: "px-2.5 py-1 text-xs", md: "px-3 py-2 text-sm" } as const;

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: keyof typeof variants;
  size?: keyof typeof sizes;
};

export function Button({ variant = "primary", size = "md", className, type = "button", ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={cn(
        "inline-flex items-center justify-center gap-1.5 rounded-md font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-60",
        variants[variant],
        sizes[size],
        className,
      )}
      {...rest}
    />
  );
}
