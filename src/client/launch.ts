export function onLaunchFiles(_callback: (files: File[]) => void): void {}
