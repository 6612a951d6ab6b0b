/** The open-source notices, generated at build time by server/build/notices.ts (licenceNotices()). */
declare module 'virtual:kura-notices' {
  const notices: readonly { readonly name: string; readonly version: string; readonly licence: string }[];
  export default notices;
}
