export function FlameIcon({ className = "size-5 text-[#f97316]" }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={className} fill="currentColor">
      <path d="M12 2c1 3.5-1.5 5.5-3 7.5C7.6 11.4 7 13 7 14.5 7 17.5 9.2 20 12 20s5-2.5 5-5.5c0-1.6-.6-3-1.5-4.2-.3 1.3-1 2.2-2 2.7.6-3.2-.2-6.6-1.5-11z" />
    </svg>
  );
}
